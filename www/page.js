// index.html's own script: a run link (`#preset=…&seed=…&pause-at=…`, share.js) in the page's
// address trains that run in #demo, on load and whenever the hash changes. A file, not an
// inline script, so that the page works under a strict Content-Security-Policy. index.html
// loads it before ganvas-demo.js: the run's attributes are then set before the element starts,
// and the shipped weights are not even fetched (it works in either order).
import { followHash } from './share.js';

followHash(document.querySelector('#demo'));
