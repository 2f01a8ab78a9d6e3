using Microsoft.Data.Sqlite;

namespace Timonel.Storage.Sqlite;

/// <summary>
/// Keeps one prepared command per statement text on a connection, so hot paths bind parameters instead of
/// parsing SQL on every call.
/// </summary>
internal sealed class StatementCache(SqliteConnection connection) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public SqliteConnection Connection => connection;

    public SqliteCommand Get(string sql, SqliteTransaction? transaction, params ReadOnlySpan<(string Name, object Value)> parameters)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }

            _commands.Add(sql, command);
        }
        else
        {
            foreach (var (name, value) in parameters)
            {
                command.Parameters[name].Value = value;
            }
        }

        command.Transaction = transaction;
        return command;
    }

    public long Scalar(string sql, SqliteTransaction? transaction, params ReadOnlySpan<(string Name, object Value)> parameters) =>
        Convert.ToInt64(Get(sql, transaction, parameters).ExecuteScalar() ?? 0L);

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
        connection.Dispose();
    }
}
