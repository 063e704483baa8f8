/**
 * People (PRODUCT.md "People"; issue 13): profiles with avatars ({@link AvatarImages} re-encodes what is uploaded),
 * follows, the home page's sections, reports to the server's admins, the admin role, suspended accounts and the admin
 * action log. {@link People} is the service the HTTP edge calls; {@link PeopleStore} is where it is kept (the JDBC
 * store's {@code PeopleTables}, on the schema of V5__people.sql). It reads, never writes, the scheduled rooms'
 * invitees and reminders (the notifications part owns those writes).
 */
package org.salotto.rooms.people;
