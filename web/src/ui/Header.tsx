// What the top bar of every page shows a signed-in person: the bell with the unread count (its inbox opens under it)
// and the account menu (profile, settings, the admin page for admins, log out).
import { LogOut, Settings, ShieldAlert, User } from 'lucide-preact';
import { useEffect, useState } from 'preact/hooks';
import { Account, isAdmin, logOut, logOutEverywhere, onAccount } from '../api';
import { profile, profileLink } from '../people';
import { Avatar } from './common';
import { Bell } from './Notifications';

/** Sent on the window when the settings saved the profile: the header's picture follows. */
export const PROFILE_SAVED = 'salotto:profile-saved';

/** The account as it changes (undefined until known). */
export function useAccount(): Account | null | undefined {
  const [account, setAccount] = useState<Account | null | undefined>(undefined);
  useEffect(() => onAccount(setAccount), []);
  return account;
}

export function AccountTools() {
  const account = useAccount();
  if (!account) return null;
  return (
    <>
      <Bell />
      <AccountMenu account={account} />
    </>
  );
}

function AccountMenu({ account }: { account: Account }) {
  const [open, setOpen] = useState(false);
  // The account says no picture: the profile does (once per page, and again when the name changes after a save).
  const [avatarUrl, setAvatarUrl] = useState<string | null>(null);
  useEffect(() => {
    const load = () => profile(account.username).then((p) => setAvatarUrl(p.avatarUrl)).catch(() => {});
    load();
    window.addEventListener(PROFILE_SAVED, load);
    return () => window.removeEventListener(PROFILE_SAVED, load);
  }, [account.username]);
  const out = async (everywhere: boolean) => {
    setOpen(false);
    if (everywhere) await logOutEverywhere().catch(() => {}); else await logOut();
    location.assign('/');
  };
  return (
    <div class="menu-anchor">
      <button id="account-menu" type="button" class="avatar-button" aria-haspopup="menu" aria-expanded={open}
        aria-label={`${account.displayName}: your account`} onClick={() => setOpen(!open)}>
        <Avatar name={account.displayName} url={avatarUrl} size="s" />
      </button>
      {open && (
        <>
          <div class="menu-backdrop" onClick={() => setOpen(false)} />
          <div class="popover account-popover" role="menu">
            <a class="popover-head" href={profileLink(account.username)} role="menuitem">
              <Avatar name={account.displayName} url={avatarUrl} size="m" />
              <span class="who-lines">
                <strong id="who">{account.displayName}</strong>
                <span class="muted small">@{account.username} · your profile</span>
              </span>
            </a>
            <a id="menu-profile" class="menu-item" href={profileLink(account.username)} role="menuitem"><User size={18} />Profile</a>
            <a id="menu-settings" class="menu-item" href="/settings" role="menuitem"><Settings size={18} />Settings</a>
            {isAdmin(account) && (
              <a id="menu-admin" class="menu-item" href="/admin" role="menuitem"><ShieldAlert size={18} />Admin: reports</a>
            )}
            <button id="log-out" type="button" class="menu-item" role="menuitem" onClick={() => out(false)}><LogOut size={18} />Log out</button>
            <button id="log-out-everywhere" type="button" class="menu-item muted" role="menuitem" onClick={() => out(true)}
              title="End this account's sessions in every browser">
              <LogOut size={18} />Log out everywhere
            </button>
          </div>
        </>
      )}
    </div>
  );
}
