/* The photo of a delivery: a phone photo is several megabytes, a JPEG of at most maxPixels shows the door well
   enough and fits in the queue. */

// Resolves to a JPEG data URL of at most maxPixels on its longer side and maxBytes; rejects when it cannot.
export const shrinkPhoto = (file, { maxPixels, maxBytes }) =>
  new Promise((resolve, reject) => {
    const url = URL.createObjectURL(file);
    const image = new Image();
    image.onload = () => {
      URL.revokeObjectURL(url);
      const scale = Math.min(1, maxPixels / Math.max(image.naturalWidth, image.naturalHeight));
      const canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(image.naturalWidth * scale));
      canvas.height = Math.max(1, Math.round(image.naturalHeight * scale));
      canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
      let quality = 0.85;
      let data = canvas.toDataURL("image/jpeg", quality);
      while (data.length * 0.75 > maxBytes && quality > 0.35) {
        quality -= 0.15;
        data = canvas.toDataURL("image/jpeg", quality);
      }
      if (!data.startsWith("data:image/jpeg") || data.length * 0.75 > maxBytes) {
        reject(new Error("photo too large"));
      } else {
        resolve(data);
      }
    };
    image.onerror = () => {
      URL.revokeObjectURL(url);
      reject(new Error("photo unreadable"));
    };
    image.src = url;
  });
