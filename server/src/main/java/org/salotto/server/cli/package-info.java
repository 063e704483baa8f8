/**
 * The {@code salotto} command line (docs/operations.md, "The command line"): {@code serve} (the server itself),
 * {@code token create} (a join token minted offline with an API key's secret), {@code rooms list|create|end} and
 * {@code webhooks test|replay} (the HTTP API with an API key). Each command answers {@code --help}; a mistake is told
 * with what to type instead, and exit status 2; the server's refusal or absence is status 1.
 */
package org.salotto.server.cli;
