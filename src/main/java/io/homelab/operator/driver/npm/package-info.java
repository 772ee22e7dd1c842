/** Nginx Proxy Manager's REST API at home: proxy hosts marked with the owner in their meta. */
package io.homelab.operator.driver.npm;
