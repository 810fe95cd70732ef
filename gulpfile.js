// Copies icons and node codex files (*.node.json: categories, docs links) next to the compiled files,
// where n8n looks for them.
const path = require('path');
const { task, src, dest, parallel } = require('gulp');

function copyIcons() {
	const nodeIcons = src(path.resolve('nodes', '**', '*.{png,svg,json}'), { encoding: false }).pipe(
		dest(path.resolve('dist', 'nodes')),
	);
	return nodeIcons;
}

function copySharedIcons() {
	return src(path.resolve('icons', '*.{png,svg}'), { encoding: false }).pipe(
		dest(path.resolve('dist', 'icons')),
	);
}

task('build:icons', parallel(copyIcons, copySharedIcons));
