// nginx serving a media directory at our URLs (`/api/media/<id>` → `<dir>/<id>/original`), as
// Debian ships it for static files: sendfile and tcp_nopush on, one worker.
import { startNginx, type NginxProcess } from '../nginx/nginx.js';

export function startMediaNginx(bin: string, dir: string, probeId: string): Promise<NginxProcess> {
  return startNginx(bin, {
    http: `  sendfile on;
  tcp_nopush on;`,
    server: `    location ~ "^/api/media/([0-9a-f]{64})$" {
      alias ${dir}/$1/original;
      default_type video/mp4;
      add_header Cache-Control "public, max-age=31536000, immutable";
    }`,
    probePath: `/api/media/${probeId}`,
    ready: (status) => status === 200,
  });
}
