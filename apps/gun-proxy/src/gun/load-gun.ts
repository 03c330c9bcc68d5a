// Loading GUN: once per process, core and SEA only, with our storage hooks installed. GUN patches
// globals (`setTimeout.turn`) on first load, so every GunPeer shares the one module.
import { createRequire } from 'node:module';
import { installStorageHooks } from './storage-adapter.js';
import type { GunStatic } from './gun-types.js';

const require = createRequire(import.meta.url);

let GunModule: GunStatic | undefined;
/** Loads GUN once (it patches globals such as `setTimeout.turn` on first load). */
export function loadGun(): GunStatic {
  if (!GunModule) {
    // GUN prints a welcome banner with console.log on first load; our stdout is JSON logs.
    const log = console.log;
    console.log = () => undefined;
    try {
      // GUN's core and SEA only. `require('gun')` (lib/server) would also load radisk, the S3
      // adapter, AXE, UDP multicast, the stats file writer and YSON; we use none of them.
      GunModule = require('gun/gun') as GunStatic;
      require('gun/sea');
    } finally {
      console.log = log;
    }
  }
  installStorageHooks(GunModule);
  return GunModule;
}
