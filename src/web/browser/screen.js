/** The extension screen only listens: it has no keys to press and nothing to send. */
import { follow } from './common.js';

const panel = document.getElementById('panel');
follow(panel.dataset.status, panel);
