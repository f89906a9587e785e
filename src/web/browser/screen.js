import { follow } from './common.js';

const panel = document.getElementById('panel');
follow(panel.dataset.status, panel);
