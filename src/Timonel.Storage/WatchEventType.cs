namespace Timonel.Storage;

public enum WatchEventType
{
    Put,
    Delete,
}
