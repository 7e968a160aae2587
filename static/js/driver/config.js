/* The page's settings and words (delivery.views_driver._page_config), read once; null on a page without them. */
const node = document.getElementById("driver-config");

export const CONFIG = node ? JSON.parse(node.textContent) : null;
export const TEXT = CONFIG ? CONFIG.texts : {};
