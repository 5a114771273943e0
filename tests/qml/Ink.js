// Whether something was drawn: the pixels of `item`'s area of the window that differ clearly
// from the colour at the area's top-left corner, counted. A label whose text is rendered has
// many; an empty one (or one whose text failed to render) has none. The window is grabbed whole
// (through `root`, an item at the window's origin) and the item's area cut out by its scene
// position: Qt 6.4's grabImage(item) places a nested item by its position in its parent.
.pragma library

function count(testCase, root, item) {
    const image = testCase.grabImage(root);
    const p = item.mapToItem(root, 0, 0);
    const x0 = Math.max(0, Math.floor(p.x)), y0 = Math.max(0, Math.floor(p.y));
    const x1 = Math.min(image.width, Math.floor(p.x + item.width));
    const y1 = Math.min(image.height, Math.floor(p.y + item.height));
    if (x1 <= x0 || y1 <= y0)
        return 0;
    const bg = image.pixel(x0, y0);
    let n = 0;
    for (let y = y0; y < y1; ++y) {
        for (let x = x0; x < x1; ++x) {
            const c = image.pixel(x, y);
            if (Math.abs(c.r - bg.r) + Math.abs(c.g - bg.g) + Math.abs(c.b - bg.b) > 0.5)
                ++n;
        }
    }
    return n;
}
