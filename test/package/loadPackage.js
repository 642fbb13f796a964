'use strict';
/**
 * Loads an unpacked package the way n8n's loader does, in a plain Node process (no jest module
 * registry, no TypeScript): requires every file its `n8n` attribute lists, instantiates the class
 * named after the file, and prints what n8n reads from each as JSON: the type name, the icon files
 * (a `file:` icon is relative to the folder of the file naming it) and, for nodes, the credentials
 * they use. Usage: node loadPackage.js <unpacked package folder>
 */
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(process.argv[2]);
const { n8n } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

/** @param {string} entry A path from the `n8n` attribute, relative to the package. */
function load(entry) {
	const file = path.join(root, entry);
	const className = path.basename(file).split('.')[0];
	const Class = require(file)[className];
	if (typeof Class !== 'function')
		throw new Error(`${entry} does not export a class named ${className}`);
	return { file, instance: new Class() };
}

/**
 * @param {string} file The file that names the icon.
 * @param {unknown} icon A description's `icon`: one value, or one per theme.
 * @returns {string[]}
 */
function iconFiles(file, icon) {
	const icons = icon !== null && typeof icon === 'object' ? Object.values(icon) : [icon];
	return icons
		.filter((value) => typeof value === 'string' && value.startsWith('file:'))
		.map((value) =>
			path.relative(root, path.resolve(path.dirname(file), value.slice('file:'.length))),
		);
}

const nodes = n8n.nodes.map((/** @type {string} */ entry) => {
	const { file, instance } = load(entry);
	const { name, icon, credentials = [] } = instance.description;
	return {
		entry,
		name,
		icons: iconFiles(file, icon),
		credentials: credentials.map((/** @type {{ name: string }} */ credential) => credential.name),
	};
});
const credentials = n8n.credentials.map((/** @type {string} */ entry) => {
	const { file, instance } = load(entry);
	return { entry, name: instance.name, icons: iconFiles(file, instance.icon) };
});

process.stdout.write(JSON.stringify({ nodes, credentials }));
