// Whether something was drawn: the pixels of a grabbed image that differ clearly from its
// background (the colour at the top-left corner), counted on a grid. A label whose text is
// rendered has many; an empty one (or one whose text failed to render) has none.
.pragma library

function count(image) {
    const bg = image.pixel(0, 0);
    let n = 0;
    for (let y = 0; y < image.height; y += 1) {
        for (let x = 0; x < image.width; x += 1) {
            const p = image.pixel(x, y);
            const d = Math.abs(p.r - bg.r) + Math.abs(p.g - bg.g) + Math.abs(p.b - bg.b);
            if (d > 0.5)
                ++n;
        }
    }
    return n;
}
