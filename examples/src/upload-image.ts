// FitnessAlly: upload an exercise image (a PNG drawn here), publish the image record that describes
// it, and read the file back through the api: the bytes' SHA-256 is the mediaId.
//   node dist/upload-image.js [api-url]      (or OIP_API_URL; OIP_EMAIL and OIP_PASSWORD pick the account)
import { createHash } from 'node:crypto';
import { formData, ok } from '@oip/client';
import { gradientPng } from './png.js';
import { signIn } from './session.js';
import { runExample } from './run.js';

const SIZE = 32;

runExample(async (config) => {
  const { oip, email } = await signIn(config);
  console.log(`signed in as ${email}`);

  const file = new File([gradientPng(SIZE)], 'gradient.png', { type: 'image/png' });
  const upload = await ok(
    oip.POST('/api/media/upload', { body: { file, access_level: 'public' }, bodySerializer: formData }),
  );
  console.log(`uploaded ${upload.originalName}: ${upload.size} bytes, ${upload.mime}, mediaId ${upload.mediaId}`);
  console.log(`public URL ${upload.httpUrl}`);

  const record = await ok(
    oip.POST('/api/media/createRecord', {
      body: {
        mediaId: upload.mediaId,
        recordType: 'image',
        basicInfo: { name: 'Goblet squat, start position', tagItems: ['exercise'] },
        width: SIZE,
        height: SIZE,
      },
    }),
  );
  console.log(`image record ${record.did}`);

  const back = await ok(
    oip.GET('/api/media/{mediaId}', { params: { path: { mediaId: upload.mediaId } }, parseAs: 'arrayBuffer' }),
  );
  const sha256 = createHash('sha256').update(new Uint8Array(back)).digest('hex');
  if (sha256 !== upload.mediaId) throw new Error(`read back ${back.byteLength} bytes whose sha256 is ${sha256}`);
  console.log(`read back ${back.byteLength} bytes: sha256 matches the mediaId`);
});
