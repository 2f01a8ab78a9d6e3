namespace Timonel.Storage.Sqlite;

internal enum WriteKind
{
    Create,
    Update,
    Delete,
}
