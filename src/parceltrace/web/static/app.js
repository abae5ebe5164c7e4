// Copy buttons: <button data-copy="text">; a file of its own, as the Content-Security-Policy allows.
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button || !navigator.clipboard) return;
  const label = button.textContent;
  navigator.clipboard.writeText(button.dataset.copy).then(
    () => { button.textContent = "Copied"; setTimeout(() => { button.textContent = label; }, 1500); },
    () => { button.textContent = "Copy failed"; },
  );
});
