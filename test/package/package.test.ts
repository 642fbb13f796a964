/**
 * What users and n8n get from the registry: the package is packed with `npm pack` from the built
 * dist/ (npm test builds first), unpacked into a temporary folder, and checked there the way n8n
 * installs, loads and verifies a community package.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
// A guard against stray files in the pack (maps, tests, fixtures), not against README text: 40 KB
// until the AI tool descriptions and their README section (41.0 KB with them), 48 KB until the
// trigger's guarantees and its rotation (50.6 KB with them), 56 KB until the phone formats, the
// trigger's end-to-end guarantees and the benchmark verdicts (56.7 KB with them).
const MAX_PACKED_BYTES = 64 * 1024;
// What the public contract (issue 3) names; the package may add more.
const CONTRACT = { nodes: ['pilotStatusNumbers'], credentials: ['pilotStatusApi'] };

interface PackedPackageJson {
	name: string;
	n8n: { nodes: string[]; credentials: string[] };
	dependencies?: Record<string, string>;
	optionalDependencies?: Record<string, string>;
	bundleDependencies?: unknown;
	bundledDependencies?: unknown;
	peerDependencies?: Record<string, string>;
}
interface Loaded {
	nodes: Array<{ entry: string; name: string; icons: string[]; credentials: string[] }>;
	credentials: Array<{ entry: string; name: string; icons: string[] }>;
}
interface ScanResult {
	passed: boolean;
	message?: string;
	details?: string;
}

let tmp: string;
let packageDir: string;
let packedBytes: number;
let files: string[];
let manifest: PackedPackageJson;

function listFiles(dir: string, prefix = ''): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const relative = `${prefix}${entry.name}`;
		return entry.isDirectory() ? listFiles(path.join(dir, entry.name), `${relative}/`) : [relative];
	});
}

/** Runs a helper script under test/package/ in plain Node and parses the JSON it prints. */
function runScript<T>(script: string, args: string[]): T {
	// Jest sets NODE_ENV=test, which switches n8n's lint plugin to its own test-fixture file names.
	const { NODE_ENV: _jestOnly, ...env } = process.env;
	const output = execFileSync(process.execPath, [path.join(__dirname, script), ...args], {
		cwd: ROOT,
		encoding: 'utf8',
		// The scanner makes a temporary folder when loaded: keep it inside ours, removed afterwards.
		env: { ...env, TMPDIR: tmp },
		maxBuffer: 16 * 1024 * 1024,
	});
	return JSON.parse(output) as T;
}

beforeAll(() => {
	if (!fs.existsSync(path.join(ROOT, 'dist')))
		throw new Error('dist/ is missing: run `npm run build` first');
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pilotstatus-package-check-'));
	const [packed] = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--pack-destination', tmp], {
			cwd: ROOT,
			encoding: 'utf8',
		}),
	) as Array<{ filename: string; size: number }>;
	packedBytes = packed.size;

	const unpacked = path.join(tmp, 'unpacked');
	fs.mkdirSync(unpacked);
	execFileSync('tar', ['-xzf', path.join(tmp, packed.filename), '-C', unpacked]);
	packageDir = path.join(unpacked, 'package');
	files = listFiles(packageDir).sort();
	manifest = JSON.parse(
		fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'),
	) as PackedPackageJson;

	// n8n provides n8n-workflow to the packages it loads; give the unpacked copy nothing else, from
	// a folder above it, so the package folder itself stays exactly what was packed.
	fs.mkdirSync(path.join(unpacked, 'node_modules'));
	fs.symlinkSync(
		path.join(ROOT, 'node_modules', 'n8n-workflow'),
		path.join(unpacked, 'node_modules', 'n8n-workflow'),
		'dir',
	);
}, 120_000);

afterAll(() => {
	if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('npm pack', () => {
	it('holds only the built nodes, credentials and icons, README.md, LICENSE and package.json', () => {
		const allowed = /^(dist\/(nodes|credentials|icons)\/.+|README\.md|LICENSE|package\.json)$/;
		expect(files.filter((file) => !allowed.test(file))).toEqual([]);
		expect(files).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'package.json']));
	});

	it('holds no source maps, TypeScript, build info, .env, tests, sandbox or scripts', () => {
		// tsconfig emits no maps: they would point at TypeScript sources that are not published.
		const forbidden =
			/(\.map|\.ts|\.tsbuildinfo)$|(^|\/)\.env|(^|\/)(test|tests|__tests__|sandbox|harness|scripts|e2e)\//;
		expect(files.filter((file) => forbidden.test(file))).toEqual([]);
		const mapped = files.filter(
			(file) =>
				file.endsWith('.js') &&
				fs.readFileSync(path.join(packageDir, file), 'utf8').includes('sourceMappingURL'),
		);
		expect(mapped).toEqual([]);
	});

	it('declares no runtime dependencies and only n8n-workflow as a peer', () => {
		expect(manifest.dependencies ?? {}).toEqual({});
		expect(manifest.optionalDependencies ?? {}).toEqual({});
		expect(manifest.bundleDependencies ?? manifest.bundledDependencies ?? []).toEqual([]);
		expect(Object.keys(manifest.peerDependencies ?? {})).toEqual(['n8n-workflow']);
	});

	it('lists in its n8n attribute exactly the nodes and credentials it ships', () => {
		expect([...manifest.n8n.nodes].sort()).toEqual(
			files.filter((file) => file.endsWith('.node.js')),
		);
		expect([...manifest.n8n.credentials].sort()).toEqual(
			files.filter((file) => file.endsWith('.credentials.js')),
		);
	});

	it(`packs to under ${MAX_PACKED_BYTES / 1024} KB`, () => {
		console.log(
			`${manifest.name}: ${files.length} files, ${(packedBytes / 1024).toFixed(1)} KB packed`,
		);
		expect(packedBytes).toBeLessThan(MAX_PACKED_BYTES);
	});
});

describe('the unpacked package, loaded like n8n does in plain Node with only n8n-workflow', () => {
	let loaded: Loaded;
	beforeAll(() => {
		loaded = runScript<Loaded>('loadPackage.js', [packageDir]);
	}, 120_000);

	it('loads every node and credential with require', () => {
		expect(loaded.nodes.map((node) => node.name)).toEqual(expect.arrayContaining(CONTRACT.nodes));
		expect(loaded.credentials.map((credential) => credential.name)).toEqual(
			expect.arrayContaining(CONTRACT.credentials),
		);
	});

	it('finds every icon a node or credential names inside the pack', () => {
		const named = [...loaded.nodes, ...loaded.credentials];
		expect(named.filter(({ icons }) => icons.length === 0).map(({ entry }) => entry)).toEqual([]);
		const missing = named.flatMap(({ entry, icons }) =>
			icons.filter((icon) => !files.includes(icon)).map((icon) => `${entry}: ${icon}`),
		);
		expect(missing).toEqual([]);
	});

	it("ships each node's codex file next to it, naming the node as n8n registers it", () => {
		for (const { entry, name } of loaded.nodes) {
			const codex = entry.replace(/\.js$/, '.json');
			expect(files).toContain(codex);
			const { node } = JSON.parse(fs.readFileSync(path.join(packageDir, codex), 'utf8')) as {
				node: string;
			};
			expect(node).toBe(`${manifest.name}.${name}`);
		}
	});

	it('uses only credentials the package provides', () => {
		const provided = loaded.credentials.map((credential) => credential.name);
		for (const { credentials } of loaded.nodes)
			expect(provided).toEqual(expect.arrayContaining(credentials));
	});
});

describe("n8n's community package scanner", () => {
	let scan: { source: ScanResult; tarball: ScanResult };
	beforeAll(() => {
		scan = runScript('scanPackage.mjs', [ROOT, packageDir]);
	}, 300_000);

	// The details are ESLint's report: comparing whole results shows it when a check fails.
	it('finds nothing in the packed JavaScript and package.json', () => {
		expect(scan.tarball).toEqual({ passed: true });
	});

	it('finds nothing in the sources the package is built from', () => {
		expect(scan.source).toEqual({ passed: true });
	});
});
