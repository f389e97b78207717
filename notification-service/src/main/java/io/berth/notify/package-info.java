/**
 * The notification service (issue 4): registry events to webhook endpoints, from a durable queue per endpoint, in
 * distribution's envelope or as CloudEvents, optionally signed.
 */
package io.berth.notify;
