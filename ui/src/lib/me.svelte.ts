// The signed-in person as the menu and the Profile header show them: name and avatar.
import type { Profile } from "./bindings";

export const me = $state<{ name: string; avatar: string | null }>({ name: "", avatar: null });

export function showProfile(p: Profile) {
  me.name = p.name;
  me.avatar = p.avatar;
}
