namespace Timonel.Api.Cron;

/// <summary>A schedule robfig/cron's standard parser refuses; the message is that parser's error text.</summary>
public sealed class CronFormatException(string message) : FormatException(message);
