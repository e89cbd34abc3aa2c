/**
 * /docs (Swagger UI) is answered by the document app, built on the first request for it, and
 * sent through this app: its hooks, serializer and 404 apply as when Swagger UI was registered here.
 */
import { describe, expect, it } from 'vitest';
import { testMock } from '../helpers/mock.js';

describe('/docs', () => {
  it('serves Swagger UI, its assets and the whole document, through the app', async () => {
    const { app } = testMock();
    const page = await app.inject({ url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.body).toContain('swagger-ui');
    const head = await app.inject({ method: 'HEAD', url: '/docs' });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-length']).toBe(String(page.rawPayload.length));
    expect(head.body).toBe('');

    const css = await app.inject({ url: '/docs/static/swagger-ui.css' });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');

    const redirect = await app.inject({ url: '/docs/static/index.html' });
    expect(redirect.statusCode).toBe(302);
    expect(redirect.headers.location).toBe('/docs/');
    expect(redirect.headers['content-type']).toBeUndefined();

    const json = await app.inject({ url: '/docs/json' });
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(json.json()).toEqual((await app.inject({ url: '/openapi.json' })).json());
    // The app's pretty flag applies to Swagger UI's JSON as to any other answer.
    expect((await app.inject({ url: '/docs/json?pretty=true' })).body).toMatch(/^\{\n {2}"openapi" : "3\.0\.3",/);
  });

  it('answers paths Swagger UI does not serve, and other methods, with the Atlas 404', async () => {
    const { app } = testMock();
    for (const [method, url] of [['GET', '/docs/static/nonexistent'], ['GET', '/docs/nonexistent'], ['POST', '/docs'], ['DELETE', '/docs/json']] as const) {
      const res = await app.inject({ method, url });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.headers['x-error-code']).toBe('RESOURCE_NOT_FOUND');
      expect(res.json().detail).toContain(url.slice(1));
    }
  });

  it('builds one document app per app instance, and closes it with the app', async () => {
    const { app } = testMock();
    await app.ready();
    const first = await app.documentApp();
    expect(await app.documentApp()).toBe(first);
    await app.inject({ url: '/docs' });
    let closed = false;
    first.server.on('close', () => (closed = true));
    await app.close();
    expect(closed).toBe(true);
  });
});
