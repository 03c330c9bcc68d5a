// Preloaded (node --import) into the gun-proxy child of the hostile suite, before any app code:
// remembers Object.prototype as it was and answers, over the IPC channel, what has changed since.
const pristine = new Map(
  Object.getOwnPropertyNames(Object.prototype).map((k) => [k, Object.getOwnPropertyDescriptor(Object.prototype, k)]),
);

function prototypeReport() {
  const names = Object.getOwnPropertyNames(Object.prototype);
  const added = names.filter((k) => !pristine.has(k));
  const changed = [...pristine].filter(([k, d]) => {
    const now = Object.getOwnPropertyDescriptor(Object.prototype, k);
    return !now || now.value !== d.value || now.get !== d.get || now.set !== d.set;
  });
  // What a fresh object inherits under names attackers use.
  const fresh = {};
  const inherited = ['_', 'polluted', '#', '>', 'put'].filter((k) => fresh[k] !== undefined);
  return {
    added,
    changed: changed.map(([k]) => k),
    inherited,
    prototypeOfObject: Object.getPrototypeOf(Object.prototype) === null,
  };
}

if (process.channel) {
  // The channel must not keep the process alive: SIGTERM has to end it as in production.
  process.channel.unref();
  process.on('message', (msg) => {
    if (msg && msg.type === 'prototype') process.send({ id: msg.id, report: prototypeReport() });
  });
}
