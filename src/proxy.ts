/**
 * Proxies for self-hosted runners. The AWS SDK does not read HTTPS_PROXY or HTTP_PROXY by itself; this
 * applies them, with NO_PROXY, by the same rules as the Actions toolkit (@actions/http-client).
 * The agent libraries are loaded only when a proxy applies, so runs without one do not pay for them.
 */
import { getProxyUrl } from '@actions/http-client/lib/proxy'
import type { Agent } from 'node:http'
import { ActionError } from './errors.js'
import * as messages from './messages.js'

/** The URL the SDK will send Amplify requests to: the endpoint overrides, else the region's endpoint. */
export function amplifyEndpoint(region: string, env: NodeJS.ProcessEnv): URL {
  const name = env.AWS_ENDPOINT_URL_AMPLIFY ? 'AWS_ENDPOINT_URL_AMPLIFY' : 'AWS_ENDPOINT_URL'
  const override = env[name]
  if (override) {
    const url = URL.canParse(override) ? new URL(override) : undefined
    if (url?.protocol === 'https:' || url?.protocol === 'http:') return url
    throw new ActionError('input', messages.inputErrors.notAnEndpoint(name, override))
  }
  return new URL(`https://amplify.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`)
}

export interface ProxyRoute {
  agent: Agent
  /** The proxy, for the log: scheme, host and port only, never a user name or password. */
  via: string
}

/** An agent that tunnels (https) or forwards (http) through the configured proxy, or undefined when none applies. */
export async function proxyRouteFor(endpoint: URL): Promise<ProxyRoute | undefined> {
  let proxy = getProxyUrl(endpoint)
  if (!proxy) return undefined
  // `proxy.corp:3128` (no scheme, as curl accepts it) parses as the scheme `proxy.corp:`: read it as http://.
  if (proxy.protocol !== 'http:' && proxy.protocol !== 'https:' && !proxy.href.includes('//')) {
    proxy = new URL(`http://${proxy.href}`)
  }
  const via = `${proxy.protocol}//${proxy.host}`
  if (endpoint.protocol === 'https:') {
    const { HttpsProxyAgent } = await import('https-proxy-agent')
    return { agent: new HttpsProxyAgent(proxy.href, { keepAlive: true }), via }
  }
  const { HttpProxyAgent } = await import('http-proxy-agent')
  return { agent: new HttpProxyAgent(proxy.href, { keepAlive: true }), via }
}
