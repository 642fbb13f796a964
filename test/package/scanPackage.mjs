/**
 * n8n's community package scanner (@n8n/scan-community-package), run on local files. Its command
 * line first checks the npm provenance of the published version, downloads that version and the
 * source its provenance attests, then lints both: the source with the files `n8n-node lint` covers,
 * the tarball's compiled JavaScript and package.json. Those downloads need the registry, so this
 * runs the same two lints, with the scanner's own rules, on the working tree and on the local pack.
 * Usage: node scanPackage.mjs <source folder> <unpacked package folder>   (prints JSON)
 */
import {
	analyzePackage,
	SOURCE_FILE_PATTERNS,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

const [sourceDir, packageDir] = process.argv.slice(2);
const summary = ({ passed, message, details }) => ({ passed, message, details });

const source = summary(await analyzePackage(sourceDir, SOURCE_FILE_PATTERNS));
const tarball = summary(await analyzePackage(packageDir, ['**/*.js', 'package.json']));
process.stdout.write(JSON.stringify({ source, tarball }));
