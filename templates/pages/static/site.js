// Small progressive enhancements; every page works without this file.
// Upload previews: an <input type=file data-preview="ID"> shows the chosen images in the list #ID before sending.
document.addEventListener("change", function (event) {
  var input = event.target;
  if (!(input instanceof HTMLInputElement) || input.type !== "file" || !input.dataset.preview) return;
  var list = document.getElementById(input.dataset.preview);
  if (!list) return;
  list.replaceChildren();
  Array.prototype.forEach.call(input.files || [], function (file) {
    if (!file.type.startsWith("image/")) return;
    var item = document.createElement("li");
    var img = document.createElement("img");
    img.src = URL.createObjectURL(file);
    img.alt = "Preview of " + file.name;
    item.appendChild(img);
    list.appendChild(item);
  });
});
