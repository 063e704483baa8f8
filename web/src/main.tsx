// The web app: "/" is home (accounts, rooms, creating a room), "/r/{room}" a room's page (pre-join, lobby, the room).
import './styles.css';
import { render } from 'preact';
import { Home } from './ui/Home';
import { RoomPage } from './ui/RoomPage';

const ROOM_PATH = /^\/r\/([A-Za-z0-9_-]{1,64})\/?$/;

function App() {
  const match = location.pathname.match(ROOM_PATH);
  if (match) return <RoomPage room={match[1]} />;
  if (location.pathname.startsWith('/r/')) return <RoomPage room="" />;
  return <Home />;
}

render(<App />, document.getElementById('app')!);
