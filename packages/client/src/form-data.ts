// Multipart bodies (the media upload): openapi-fetch sends a FormData as it is, so a typed body
// object is turned into one here.

/**
 * A `bodySerializer` for `multipart/form-data` operations: each Blob becomes a file part (a File
 * keeps its name), each other value a text part, each item of an array its own part; undefined
 * and null are left out.
 *
 * @example
 * const file = new File([bytes], 'squat.png', { type: 'image/png' });
 * await ok(oip.POST('/api/media/upload', { body: { file, access_level: 'public' }, bodySerializer: formData }));
 */
export function formData(body: Record<string, unknown>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(body)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === undefined || item === null) continue;
      if (item instanceof Blob) form.append(name, item);
      else form.append(name, typeof item === 'object' ? JSON.stringify(item) : String(item));
    }
  }
  return form;
}
