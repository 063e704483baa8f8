/**
 * Plain media parameters: what the signaling layer hands the media layer after it has read an SDP.
 * Nothing here knows SDP syntax.
 */
package org.salotto.media.params;
