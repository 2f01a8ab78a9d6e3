using System.Globalization;
using System.Text;

namespace Timonel.Agent.Kubelet.Server.Logs;

/// <summary>
/// One line of a CRI container log file: <c>&lt;RFC3339Nano time&gt; &lt;stdout|stderr&gt; &lt;F|P&gt; &lt;message&gt;</c>
/// (the CRI logging format, kuberuntime/logs). P marks a partial line: the runtime split a long line, and the
/// message continues in the next record; F ends it. The message excludes the record's own newline.
/// </summary>
public sealed record CriLogRecord(string Timestamp, DateTimeOffset Time, string Stream, bool Partial, byte[] Message)
{
    /// <summary>Parses one record (without its newline); null for a line that is not in the format.</summary>
    public static CriLogRecord? Parse(ReadOnlySpan<byte> line)
    {
        var first = line.IndexOf((byte)' ');
        if (first <= 0)
        {
            return null;
        }

        var timestamp = Encoding.ASCII.GetString(line[..first]);
        if (!DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return null;
        }

        var rest = line[(first + 1)..];
        var second = rest.IndexOf((byte)' ');
        if (second <= 0)
        {
            return null;
        }

        var stream = Encoding.ASCII.GetString(rest[..second]);
        if (stream is not ("stdout" or "stderr"))
        {
            return null;
        }

        rest = rest[(second + 1)..];
        // The tag field is ':'-separated flags; P (partial) is the only one defined. Old runtimes wrote no tag at all.
        var third = rest.IndexOf((byte)' ');
        var tag = third < 0 ? rest : rest[..third];
        var message = third < 0 ? [] : rest[(third + 1)..].ToArray();
        if (tag.Length == 0 || !IsTag(tag))
        {
            return new CriLogRecord(timestamp, time, stream, false, rest.ToArray());
        }

        return new CriLogRecord(timestamp, time, stream, tag.SequenceEqual("P"u8), message);
    }

    private static bool IsTag(ReadOnlySpan<byte> tag)
    {
        foreach (var part in Encoding.ASCII.GetString(tag).Split(':'))
        {
            if (part is not ("F" or "P"))
            {
                return false;
            }
        }

        return true;
    }
}
