const { task, src, dest } = require('gulp');

// tsc compiles the TypeScript; n8n also needs the icons next to the built files, at the paths the
// nodes and the credential name (`file:../icons/...`). encoding:false keeps gulp 5 from re-encoding them.
task('build:icons', () => src('icons/*.svg', { encoding: false, base: '.' }).pipe(dest('dist')));
