// Applies the last chosen theme before the first paint (a classic script in
// <head>; the CSP allows scripts from the app itself only). The signed-in
// person's saved preference replaces it as soon as it is read.
try {
  var theme = localStorage.getItem("tenant-desk.theme");
  if (theme === "light" || theme === "dark") document.documentElement.dataset.theme = theme;
} catch (e) {
  // No storage: the system theme applies.
}
