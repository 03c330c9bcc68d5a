// HS256 tokens signed with node:crypto, independently of the api's @fastify/jwt (the kit's test helper).
export { signToken } from '@oip/service-kit/testing';
