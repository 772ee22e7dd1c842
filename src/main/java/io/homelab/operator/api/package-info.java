/** The homelab.io/v1alpha1 API: the four custom resources and the types they are made of. */
package io.homelab.operator.api;
