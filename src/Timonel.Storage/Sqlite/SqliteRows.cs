using Microsoft.Data.Sqlite;

namespace Timonel.Storage.Sqlite;

/// <summary>Reads the (name, value, create_revision, id) column group that every key query selects.</summary>
internal static class SqliteRows
{
    public static KeyValue ReadKeyValue(SqliteDataReader reader) =>
        new(reader.GetString(0), reader.GetFieldValue<byte[]>(1), reader.GetInt64(2), reader.GetInt64(3));

    public static KeyValue? ReadSingle(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadKeyValue(reader) : null;
    }

    public static List<KeyValue> ReadAll(SqliteCommand command)
    {
        var items = new List<KeyValue>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            items.Add(ReadKeyValue(reader));
        }

        return items;
    }
}
