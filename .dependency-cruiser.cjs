/**
 * The house rules `npm run check` enforces. The platform is the core: pages (src/web) are
 * registered into it by `serve`, never reached from inside it; and no file may reach
 * itself through its imports, so each room can be read, tested and changed on its own.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import circle: these files cannot be understood or changed one at a time.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'platform-not-to-web',
      severity: 'error',
      comment: 'The platform is built before the pages and hands them its services; it never imports them.',
      from: { path: '^src/platform/' },
      to: { path: '^src/web/' },
    },
    {
      name: 'protocol-is-pure',
      severity: 'error',
      comment: 'The protocol layer is pure (no I/O): it imports nothing of the client, the platform or the pages.',
      from: { path: '^src/protocol/' },
      to: { path: '^src/(client|platform|web|bridge|cli)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
