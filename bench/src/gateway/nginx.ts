// nginx as the gateway benchmark's baseline (the shared starter in ../nginx/nginx.ts): proxying
// /gun-relay/ to an upstream over keep-alive connections.
import { startNginx as startSite, type NginxProcess } from '../nginx/nginx.js';

export { findNginx, type NginxProcess } from '../nginx/nginx.js';

export interface NginxOptions {
  /** Upstream origin's port on 127.0.0.1 (gun-proxy). */
  upstreamPort: number;
  /** Idle keep-alive connections nginx keeps to the upstream. @defaultValue 64 */
  keepalive?: number;
}

/** Starts nginx and waits until it proxies (any answer from the upstream through it). */
export function startNginx(bin: string, opts: NginxOptions): Promise<NginxProcess> {
  return startSite(bin, {
    http: `  upstream relay {
    server 127.0.0.1:${opts.upstreamPort};
    keepalive ${opts.keepalive ?? 64};
    keepalive_requests 100000;
  }`,
    server: `    location /gun-relay/ {
      proxy_pass http://relay/;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Host $host;
    }`,
    probePath: '/gun-relay/health',
    ready: (status) => status !== 502,
  });
}
