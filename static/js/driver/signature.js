/* The signature pad of a delivery form: a canvas drawn on with a finger, a pen or a mouse. */

// Sets up the pad in `box` and shows it; returns { clear(), dataUrl() }, dataUrl() null while nothing is drawn.
export const signaturePad = (box) => {
  const canvas = box.querySelector("canvas");
  const context = canvas.getContext("2d");
  let drawing = false;
  let drawn = false;
  let last = null;

  const blank = () => {
    context.fillStyle = "#fff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    drawn = false;
  };

  // The canvas keeps its own resolution; the pointer is scaled from the size it is shown at.
  const point = (event) => {
    const rect = canvas.getBoundingClientRect();
    return {
      x: ((event.clientX - rect.left) * canvas.width) / rect.width,
      y: ((event.clientY - rect.top) * canvas.height) / rect.height,
    };
  };

  canvas.addEventListener("pointerdown", (event) => {
    event.preventDefault();
    drawing = true;
    last = point(event);
    canvas.setPointerCapture(event.pointerId);
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!drawing) return;
    const next = point(event);
    context.strokeStyle = "#1d2733";
    context.lineWidth = 3;
    context.lineCap = "round";
    context.lineJoin = "round";
    context.beginPath();
    context.moveTo(last.x, last.y);
    context.lineTo(next.x, next.y);
    context.stroke();
    last = next;
    drawn = true;
  });
  for (const type of ["pointerup", "pointercancel"]) {
    canvas.addEventListener(type, () => {
      drawing = false;
    });
  }
  box.querySelector("[data-clear]").addEventListener("click", blank);
  blank();
  box.hidden = false;
  return {
    clear: blank,
    dataUrl: () => (drawn ? canvas.toDataURL("image/png") : null),
  };
};
