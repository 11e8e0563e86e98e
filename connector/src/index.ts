import './polyfills.js';
