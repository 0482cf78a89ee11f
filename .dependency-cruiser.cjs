// The shape of fidelio, checked by dependency-cruiser (first part of `npm run lint`).
//
// Layers (arrows point the way imports may go):
//   server/routes → server/services → server/domain ← server/db
//   server/services → server/db, server/outbox, server/wallets/{apple,google}, server/mail; services and wallets → passes;
//   services → posters → passes (the in-store poster: plain data in, PDF or PNG out)
//   each wallet wing: channel → wallet → client (apple: apns); the mail wing: channel → messages → transport
//   widget, dashboard → common → server/contract (type-only: zero bytes in the bundles)
//   demo is reached only from server/main.ts.
// Paths are relative to the repository root. `npm run lint` cruises the whole tree (`.`, less the
// folders in doNotFollow), so a folder that does not exist yet (common/…) is no error and is
// checked as soon as it appears. Tests, bench, scripts and the root configs are cruised too, for
// no-circular and not-to-unresolvable: the layer rules do not start from them.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'A cycle makes load order matter and layers meaningless. A cycle with a type-only import in it is allowed: ' +
        'that import is erased, so nothing cycles at run time.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to no file or package fails at run time (or in the bundle): fix the path or install the package.',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'routes-not-to-db',
      severity: 'error',
      comment: 'Routes call services; only services touch the database and the outbox (arrows: routes → services → db).',
      from: { path: '^server/routes/' },
      to: { path: '^server/(db|outbox)/' },
    },
    {
      name: 'routes-not-to-db',
      severity: 'error',
      comment: 'Routes reach the wallets through services; importing wallet types (type-only) to describe a response is fine.',
      from: { path: '^server/routes/' },
      to: { path: '^server/wallets/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'routes-not-to-db',
      severity: 'error',
      comment: 'Routes reach e-mail through services (which queue it in the outbox); a type-only import is fine.',
      from: { path: '^server/routes/' },
      to: { path: '^server/mail/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'services-know-no-http',
      severity: 'error',
      comment: 'Services are called by routes, the outbox worker, the demo and tests alike: they must not know about HTTP.',
      from: { path: '^server/services/' },
      to: { path: ['^server/(routes|http)/', '^node_modules/(hono|@hono/[^/]+)/'] },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment:
        'The domain is plain rules over plain data: it imports only itself, common/, zod, two pure parsers (csv-parse, ipaddr.js) and node builtins, so it is tested without a database.',
      from: { path: '^server/domain/' },
      to: {
        pathNot: ['^server/domain/', '^common/', '^node_modules/zod/', '^node_modules/csv-parse/', '^node_modules/ipaddr\\.js/'],
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'db-below-services',
      severity: 'error',
      comment: 'The database layer is called from above and never calls up: it knows the domain, not who uses it.',
      from: { path: '^server/db/' },
      to: { path: '^server/(services|routes|http|wallets|outbox|mail|jobs)/' },
    },
    {
      name: 'jobs-beside-routes',
      severity: 'error',
      comment:
        'The timed jobs (server/jobs/) call services, as routes do; nothing below them (services, database, workers) and no route calls a job.',
      from: { path: '^server/(services|db|domain|outbox|wallets|mail|routes|http|pages)/' },
      to: { path: '^server/jobs/' },
    },
    {
      name: 'jobs-beside-routes',
      severity: 'error',
      comment: 'A job goes through the services, never to the database or HTTP directly.',
      from: { path: '^server/jobs/' },
      to: { path: '^server/(db|routes|http|outbox)/' },
    },
    {
      name: 'background-never-calls-back',
      severity: 'error',
      comment:
        'The outbox worker, the wallet clients and the mail wing run below the services: calling back up into services or HTTP would make a cycle of layers.',
      from: { path: '^server/(outbox|wallets|mail)/' },
      to: { path: '^server/(services|routes|http)/' },
    },
    {
      name: 'google-wing-one-way',
      severity: 'error',
      comment:
        'Google wallet arrows go channel → wallet → client only: the client speaks the API, the wallet builds objects, the channel pushes.',
      from: { path: '^server/wallets/google/(client|wallet)\\.ts$' },
      to: { path: '^server/wallets/google/(wallet|channel)\\.ts$' },
    },
    {
      name: 'apple-wing-one-way',
      severity: 'error',
      comment: 'Apple wallet arrows go channel → wallet → apns only (same shape as the Google wing; apns.ts is the client).',
      from: { path: '^server/wallets/apple/(apns|wallet)\\.ts$' },
      to: { path: '^server/wallets/apple/(wallet|channel)\\.ts$' },
    },
    {
      name: 'mail-wing-one-way',
      severity: 'error',
      comment:
        'Mail arrows go channel → messages → transport only (the wallet wings’ shape): the transport sends, the messages write, the channel reads the outbox.',
      from: { path: '^server/mail/(messages|transport)\\.ts$' },
      to: { path: '^server/mail/(channel|messages)\\.ts$' },
    },
    {
      name: 'mail-wing-one-way',
      severity: 'error',
      comment: 'The messages are pure (plain values in, a message out) and the transport knows no database: neither reads the outbox.',
      from: { path: '^server/mail/(messages|transport)\\.ts$' },
      to: { path: '^server/(db|outbox)/' },
    },
    {
      name: 'passes-know-no-server',
      severity: 'error',
      comment: 'passes/ builds pass files from plain data: it must stay usable without the server or the browser apps.',
      from: { path: '^passes/' },
      to: { path: '^(server|widget|dashboard)/' },
    },
    {
      name: 'posters-know-no-server',
      severity: 'error',
      comment:
        'posters/ lays out and draws the in-store poster from plain data, as passes/ builds passes: it must stay usable without ' +
        'the server, the browser apps or the demo. It may use common/ and passes/ (the PNG encoder).',
      from: { path: '^posters/' },
      to: { path: '^(server|widget|dashboard|demo)/' },
    },
    {
      name: 'pages-are-views',
      severity: 'error',
      comment:
        'server/pages/ turns what a service returns into HTML: it reads no database, wallet or outbox, and calls no service ' +
        '(type-only imports of what services return are fine).',
      from: { path: '^server/pages/' },
      to: { path: '^server/(db|wallets|outbox|routes|http)/' },
    },
    {
      name: 'pages-are-views',
      severity: 'error',
      comment: 'A page calls no service: the route does, and hands the result to the page.',
      from: { path: '^server/pages/' },
      to: { path: '^server/services/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'apps-apart',
      severity: 'error',
      comment: 'The widget and the dashboard are separate bundles: what they share lives in common/.',
      from: { path: '^(widget|dashboard)/' },
      to: { path: '^(widget|dashboard)/', pathNot: '^$1/' },
    },
    {
      name: 'browser-over-http-only',
      severity: 'error',
      comment: 'Browser code talks to the server over HTTP only: server, passes or posters code in it would end up in the bundles.',
      from: { path: '^(widget|dashboard)/' },
      to: { path: '^(server|passes|posters)/' },
    },
    {
      name: 'browser-over-http-only',
      severity: 'error',
      comment:
        'common/ is bundled into the browser apps: it may not import server, passes or posters code (server/contract is the one exception, below).',
      from: { path: '^common/' },
      to: { path: '^(server|passes|posters)/', pathNot: '^server/contract/' },
    },
    {
      name: 'browser-over-http-only',
      severity: 'error',
      comment:
        'common/ may import server/contract/ for its types only (API types inferred from the zod schemas, zero bytes in the bundles).',
      from: { path: '^common/' },
      to: { path: '^server/contract/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'common-is-neutral',
      severity: 'error',
      comment: 'common/ is shared by both browser apps: it cannot lean on either of them, on the demo or on passes/.',
      from: { path: '^common/' },
      to: { path: '^(widget|dashboard|demo|passes)/' },
    },
    {
      name: 'demo-only-from-main',
      severity: 'error',
      comment: 'The demo is switched on in one place, server/main.ts; nothing else may depend on it (tests and bench may).',
      from: { pathNot: ['^demo/', '^server/main\\.ts$', '^(test|bench)/'] },
      to: { path: '^demo/' },
    },
  ],
  options: {
    // Cruise our code only: packages are resolved (for the rules above) but not followed. The other
    // folders are output and data; listed here (not in `exclude`) they are skipped when gathering
    // files, yet an import into them would still show up in the graph and break a rule.
    doNotFollow: { path: ['node_modules', '^(\\.git|dist|\\.data|coverage|scratch|reports|\\.stryker-tmp)/'] },
    // Only the module graph is needed; skip the rest of the analysis.
    skipAnalysisNotInRules: true,
    // A git worktree may link node_modules to another checkout's: resolved paths then stay under
    // node_modules/ (as the rules on zod and hono expect) rather than following the link out of the tree.
    preserveSymlinks: true,
    // Parse with TypeScript so that `import type` is seen, and told apart (dependencyTypes 'type-only').
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Resolve packages the way Node does (the `exports` maps of hono, @hono/node-server, lit…).
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.d.ts', '.json'],
    },
  },
};
