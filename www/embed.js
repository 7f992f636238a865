// embed.html's one line of script: its "run to here" button (a file, not an inline script, so
// that the page works under a strict Content-Security-Policy).
const lesson = document.querySelector('#lesson');
document.querySelector('#to-1500').addEventListener('click', () => {
  lesson.pauseAt = 1500;
  lesson.train();
});
