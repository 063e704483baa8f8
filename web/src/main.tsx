// The web app: "/" is home (accounts, rooms, creating a room), "/r/{room}" a room's page (pre-join, lobby, the room),
// "/u/{username}" a person's profile, "/settings" one's own profile, blocks and API keys, "/admin" the reports.
// Every page of a signed-in person has the notification stream open: a toast shows what arrives.
import './styles.css';
import { render } from 'preact';
import { me, onAccount } from './api';
import { notifications } from './notifications';
import { Admin } from './ui/Admin';
import { Home } from './ui/Home';
import { Toasts } from './ui/Notifications';
import { ProfilePage } from './ui/Profile';
import { RoomPage } from './ui/RoomPage';
import { SettingsPage } from './ui/Settings';

const ROOM_PATH = /^\/r\/([A-Za-z0-9_-]{1,64})\/?$/;
const PROFILE_PATH = /^\/u\/([A-Za-z0-9_.]{1,64})\/?$/;

function Page() {
  const path = location.pathname;
  const room = path.match(ROOM_PATH);
  if (room) return <RoomPage room={room[1]} />;
  if (path.startsWith('/r/')) return <RoomPage room="" />;
  const person = path.match(PROFILE_PATH);
  if (person) return <ProfilePage username={person[1]} />;
  if (/^\/settings\/?$/.test(path)) return <SettingsPage />;
  if (/^\/admin\/?$/.test(path)) return <Admin />;
  return <Home />;
}

function App() {
  return (
    <>
      <Page />
      <Toasts />
    </>
  );
}

onAccount((account) => {
  if (account) notifications.start(); else notifications.stop();
});
void me();

render(<App />, document.getElementById('app')!);
