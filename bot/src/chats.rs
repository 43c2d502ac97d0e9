//! Which engine conversation belongs to which Telegram chat.
//!
//! The engine's store has no place for an adapter's own keys (and the bot must
//! not know sled), so the map lives in one small JSON file beside the store,
//! `<data>/telegram-chats.json`. It changes only when a chat starts or deletes
//! its conversation, so rewriting the whole file is cheap; every write goes to
//! a temporary file that is flushed and then renamed over the old one, so a
//! crash leaves either the old or the new map, never half a file. Without a
//! data directory the map is kept in memory only (residents then start over
//! after a restart).
//!
//! The file links a Telegram chat id to a conversation id and, for chats that
//! used `/voorlezen`, whether replies are read aloud; nothing else: no names,
//! no text. `/vergeet` removes the chat's lines.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

pub const FILE_NAME: &str = "telegram-chats.json";

#[derive(Debug, thiserror::Error)]
#[error("Telegram chat list {}: {source}", path.display())]
pub struct MapError {
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

#[derive(Default, Serialize, Deserialize)]
struct OnDisk {
    version: u32,
    /// Chat id (as a string: JSON keys are strings) to conversation id.
    chats: BTreeMap<String, String>,
    /// Chat id to the chat's own choice for voice replies (`/voorlezen`).
    /// Absent in files from before voice replies: serde's default.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    voice: BTreeMap<String, bool>,
}

#[derive(Default)]
struct Maps {
    by_chat: HashMap<i64, String>,
    by_conversation: HashMap<String, i64>,
    voice: HashMap<i64, bool>,
}

pub struct ChatMap {
    path: Option<PathBuf>,
    maps: Mutex<Maps>,
    /// Held while writing, so the last write always holds the latest map.
    write: Mutex<()>,
}

impl ChatMap {
    pub fn in_memory() -> ChatMap {
        ChatMap { path: None, maps: Mutex::new(Maps::default()), write: Mutex::new(()) }
    }

    /// Open the map in `dir` (created if missing). A damaged file is moved
    /// aside (kept for inspection) and the bot starts with an empty map:
    /// residents then get a fresh conversation, which beats no bot at all.
    pub fn open(dir: &Path) -> Result<ChatMap, MapError> {
        let path = dir.join(FILE_NAME);
        let err = |source| MapError { path: path.clone(), source };
        std::fs::create_dir_all(dir).map_err(err)?;
        let mut maps = Maps::default();
        match std::fs::read(&path) {
            Ok(bytes) => match serde_json::from_slice::<OnDisk>(&bytes) {
                Ok(disk) => {
                    for (chat, conversation) in disk.chats {
                        if let Ok(chat) = chat.parse::<i64>() {
                            maps.by_conversation.insert(conversation.clone(), chat);
                            maps.by_chat.insert(chat, conversation);
                        }
                    }
                    for (chat, on) in disk.voice {
                        if let Ok(chat) = chat.parse::<i64>() {
                            maps.voice.insert(chat, on);
                        }
                    }
                }
                Err(e) => {
                    let aside = path.with_extension(format!("damaged-{}", std::process::id()));
                    tracing::error!(file = %path.display(), moved_to = %aside.display(), error = %e, "the Telegram chat list is damaged; starting with an empty one");
                    std::fs::rename(&path, &aside).map_err(err)?;
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(err(e)),
        }
        Ok(ChatMap { path: Some(path), maps: Mutex::new(maps), write: Mutex::new(()) })
    }

    fn maps(&self) -> std::sync::MutexGuard<'_, Maps> {
        // Every change is complete before the guard drops; a panic elsewhere
        // cannot leave the maps half-changed.
        self.maps.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn conversation(&self, chat: i64) -> Option<String> {
        self.maps().by_chat.get(&chat).cloned()
    }

    pub fn chat(&self, conversation: &str) -> Option<i64> {
        self.maps().by_conversation.get(conversation).copied()
    }

    /// The chat's own choice for voice replies, if it made one.
    pub fn voice(&self, chat: i64) -> Option<bool> {
        self.maps().voice.get(&chat).copied()
    }

    /// Remember the chat's choice for voice replies and save. Blocking.
    pub fn set_voice(&self, chat: i64, on: bool) -> Result<(), MapError> {
        self.maps().voice.insert(chat, on);
        self.save()
    }

    pub fn len(&self) -> usize {
        self.maps().by_chat.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Map `chat` to `conversation` (replacing an earlier one) and save. Blocking.
    pub fn insert(&self, chat: i64, conversation: &str) -> Result<(), MapError> {
        {
            let mut m = self.maps();
            if let Some(old) = m.by_chat.insert(chat, conversation.to_string()) {
                m.by_conversation.remove(&old);
            }
            m.by_conversation.insert(conversation.to_string(), chat);
        }
        self.save()
    }

    /// Forget a conversation (deleted), and its chat's voice choice; true if
    /// it was mapped. Blocking.
    pub fn remove_conversation(&self, conversation: &str) -> Result<bool, MapError> {
        let removed = {
            let mut m = self.maps();
            match m.by_conversation.remove(conversation) {
                Some(chat) => {
                    if m.by_chat.get(&chat).is_some_and(|c| c == conversation) {
                        m.by_chat.remove(&chat);
                        m.voice.remove(&chat);
                    }
                    true
                }
                None => false,
            }
        };
        // Saved even when nothing was removed here: the engine's deletion event
        // and the handler race to remove the same conversation, and the loser
        // must not return (and let the bot say "deleted") before the file
        // holds the change.
        self.save()?;
        Ok(removed)
    }

    fn save(&self) -> Result<(), MapError> {
        let Some(path) = &self.path else { return Ok(()) };
        let _writing = self.write.lock().unwrap_or_else(|e| e.into_inner());
        let disk = {
            let m = self.maps();
            OnDisk {
                version: 1,
                chats: m.by_chat.iter().map(|(k, v)| (k.to_string(), v.clone())).collect(),
                voice: m.voice.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            }
        };
        let err = |source| MapError { path: path.clone(), source };
        let bytes = serde_json::to_vec_pretty(&disk).map_err(|e| err(std::io::Error::other(e)))?;
        let tmp = path.with_extension("json.tmp");
        {
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create(true).truncate(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                // Chat ids are personal data: readable by this user only.
                options.mode(0o600);
            }
            let mut f = options.open(&tmp).map_err(err)?;
            f.write_all(&bytes).map_err(err)?;
            f.sync_all().map_err(err)?;
        }
        std::fs::rename(&tmp, path).map_err(err)?;
        // The rename itself is durable only once the directory is synced.
        #[cfg(unix)]
        if let Some(dir) = path.parent() {
            if let Ok(d) = std::fs::File::open(dir) {
                let _ = d.sync_all();
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn survives_reopening_and_forgets_deleted_conversations() {
        let dir = tempfile::tempdir().unwrap();
        let map = ChatMap::open(dir.path()).unwrap();
        map.insert(42, "abc").unwrap();
        map.insert(-7, "def").unwrap();
        map.insert(42, "ghi").unwrap();
        assert_eq!(map.chat("abc"), None);
        let again = ChatMap::open(dir.path()).unwrap();
        assert_eq!(again.conversation(42).as_deref(), Some("ghi"));
        assert_eq!(again.chat("def"), Some(-7));
        assert!(again.remove_conversation("ghi").unwrap());
        assert!(!again.remove_conversation("ghi").unwrap());
        let third = ChatMap::open(dir.path()).unwrap();
        assert_eq!(third.conversation(42), None);
        assert_eq!(third.len(), 1);
        assert!(!dir.path().join("telegram-chats.json.tmp").exists());
    }

    #[test]
    fn voice_choices_survive_reopening_and_go_with_the_conversation() {
        let dir = tempfile::tempdir().unwrap();
        // A file from before voice replies still opens.
        std::fs::write(dir.path().join(FILE_NAME), br#"{"version": 1, "chats": {"42": "abc"}}"#)
            .unwrap();
        let map = ChatMap::open(dir.path()).unwrap();
        assert_eq!(map.conversation(42).as_deref(), Some("abc"));
        assert_eq!(map.voice(42), None);
        map.set_voice(42, false).unwrap();
        map.set_voice(7, true).unwrap();
        let again = ChatMap::open(dir.path()).unwrap();
        assert_eq!((again.voice(42), again.voice(7)), (Some(false), Some(true)));
        assert!(again.remove_conversation("abc").unwrap());
        let third = ChatMap::open(dir.path()).unwrap();
        assert_eq!(third.voice(42), None, "/vergeet forgets the choice too");
        assert_eq!(third.voice(7), Some(true));
    }

    #[test]
    fn a_damaged_file_is_moved_aside() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE_NAME), b"{not json").unwrap();
        let map = ChatMap::open(dir.path()).unwrap();
        assert!(map.is_empty());
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(names.iter().any(|n| n.contains("damaged")), "{names:?}");
    }
}
