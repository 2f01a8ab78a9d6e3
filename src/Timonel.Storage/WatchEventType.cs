namespace Timonel.Storage;

public enum WatchEventType
{
    Put,
    Delete,

    /// <summary>
    /// No change: every event under the watched prefix up to this revision has been delivered. Sent only after
    /// <see cref="IStorageBackend.RequestWatchProgressAsync"/>; its key is empty.
    /// </summary>
    Progress,
}
