// Calls the service's API with the signed-in key, as a bearer token and nowhere else.

const KEY = 'consent-vault.console.key';

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || 'HTTP ' + status);
    this.status = status;
    this.problem = problem || {};
  }

  /** The errors of a 400, by query parameter name (or body pointer). */
  fieldErrors() {
    return Array.isArray(this.problem.errors) ? this.problem.errors : [];
  }
}

/** Raised when the key is refused: the shell then goes back to sign-in with the message. */
export class SignInRequired extends Error {
}

export function key() {
  return sessionStorage.getItem(KEY);
}

export function keep(apiKey) {
  sessionStorage.setItem(KEY, apiKey);
}

export function forget() {
  sessionStorage.removeItem(KEY);
}

/** A query string from an object: arrays repeat the parameter, empty values are left out. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [name, v] of Object.entries(params)) {
    for (const one of Array.isArray(v) ? v : [v]) {
      if (one !== null && one !== undefined && one !== '') {
        q.append(name, one);
      }
    }
  }
  const text = q.toString();
  return text ? '?' + text : '';
}

/**
 * GET a JSON document. A 401 or 403 forgets the key and raises SignInRequired (the shell shows sign-in); any other
 * failure raises ApiError with the problem document. With {apiKey}, that key is tried instead (sign-in) and kept by
 * nobody.
 */
export async function get(path, params = {}, {signal, apiKey} = {}) {
  const presented = apiKey || key();
  if (!presented) {
    throw new SignInRequired('Sign in with an API key that has the scope vault:read.');
  }
  let response;
  try {
    response = await fetch(path + query(params), {
      headers: {'Authorization': 'Bearer ' + presented, 'Accept': 'application/json'},
      cache: 'no-store',
      credentials: 'omit',
      signal,
    });
  } catch (e) {
    if (e.name === 'AbortError') {
      throw e;
    }
    throw new ApiError(0, {title: 'The service cannot be reached', detail: 'The service cannot be reached. Check the connection and try again.'});
  }
  const type = response.headers.get('Content-Type') || '';
  const body = type.includes('json') ? await response.json() : null;
  if (response.ok) {
    return body;
  }
  if (response.status === 401 || response.status === 403) {
    if (!apiKey) {
      forget();
    }
    throw new SignInRequired(response.status === 401
      ? 'This key was refused: it is unknown or revoked.'
      : 'This key lacks the scope vault:read.');
  }
  if (response.status === 429) {
    throw new ApiError(429, {title: 'Too many requests', detail: 'This key is over its rate. Try again in a second.'});
  }
  throw new ApiError(response.status, body);
}
