// Where to come back to after signing in: the page the 401 interrupted.
const RETURN_KEY = "slipway.return";

export function goToSignIn(): void {
  if (location.hash.startsWith("#/signin")) return;
  sessionStorage.setItem(RETURN_KEY, location.hash || "#/");
  location.hash = "#/signin";
}

export function takeReturnHash(): string {
  const hash = sessionStorage.getItem(RETURN_KEY);
  sessionStorage.removeItem(RETURN_KEY);
  return hash && !hash.startsWith("#/signin") ? hash : "#/";
}
