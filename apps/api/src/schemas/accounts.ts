// Request examples and response schemas of the account routes (routes/user*.ts,
// routes/calendar-tokens.ts, routes/admin-users.ts): legacy's answers.
import { Type } from '@sinclair/typebox';
import { Nullable } from './common.js';

const TOKEN = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1c2VySWQiOiJ1MSJ9.c2lnbmF0dXJl';
const PUBLIC_KEY = '03a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9';

export const CREDENTIALS_EXAMPLE = { email: 'ada@example.org', password: 'correct horse battery staple' };

const tokenFields = {
  success: Type.Literal(true),
  message: Type.String(),
  token: Type.String({ description: 'A JWT (HS256, legacy claims, 45 days)' }),
  publicKey: Type.String({ description: "The account's publisher public key" }),
};

export const RegisterAnswer = Type.Object(
  {
    ...tokenFields,
    mnemonic: Nullable(Type.String({ description: "The new key's phrase, shown this once" })),
  },
  {
    examples: [
      {
        success: true,
        message: 'User registered successfully',
        token: TOKEN,
        publicKey: PUBLIC_KEY,
        mnemonic: 'abandon ability able about above absent absorb abstract absurd abuse access accident',
      },
    ],
  },
);

export const TokenAnswer = Type.Object(tokenFields, {
  examples: [{ success: true, message: 'Login successful', token: TOKEN, publicKey: PUBLIC_KEY }],
});

export const MnemonicAnswer = Type.Object({
  success: Type.Literal(true),
  mnemonic: Type.String(),
  message: Type.String(),
});

export const CalendarTokenAnswer = Type.Object({
  success: Type.Literal(true),
  calendarJWT: Type.String({ description: 'Read-only: GET /api/records of the allowed record types' }),
  tokenHash: Type.String({ description: "The token's SHA-256 (hex), its id" }),
  scope: Type.String({ examples: ['calendar-read-only'] }),
  allowedRecordTypes: Type.Array(Type.String(), { examples: [['workoutSchedule', 'mealPlan']] }),
  expiresIn: Type.Integer({ description: 'Seconds' }),
  createdAt: Type.Integer({ description: 'Epoch ms' }),
  message: Type.String(),
});

export const ListedAccount = Type.Object({
  userId: Type.String(),
  email: Type.String(),
  subscriptionStatus: Type.Union([Type.Literal('active'), Type.Literal('inactive')]),
  paymentStatus: Type.Union([Type.Literal('Active'), Type.Literal('Inactive')]),
  createdAt: Type.String({ description: 'ISO time' }),
});

export const UsersPage = Type.Object({
  success: Type.Literal(true),
  users: Type.Array(ListedAccount),
  total: Type.Integer(),
  page: Type.Integer(),
  limit: Type.Integer(),
  totalPages: Type.Integer(),
});

export const StatusAnswer = Type.Object({
  success: Type.Literal(true),
  message: Type.String(),
  user: ListedAccount,
});
