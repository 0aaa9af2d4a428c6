namespace CommerceOS.Core.Common;

public static class DatabaseTime
{
    /// <summary>
    /// The current UTC time truncated to whole microseconds, the precision PostgreSQL keeps. Use it for
    /// timestamps that are later compared for equality (optimistic concurrency on <c>UpdatedAt</c>):
    /// a value with 100 ns ticks would never equal what PostgreSQL hands back.
    /// </summary>
    public static DateTime GetUtcNowForDatabase(this TimeProvider timeProvider) =>
        ToDatabasePrecision(timeProvider.GetUtcNow().UtcDateTime);

    /// <summary>Truncates to whole microseconds and marks the value UTC.</summary>
    public static DateTime ToDatabasePrecision(DateTime value)
    {
        var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc);
        return new DateTime(utc.Ticks - (utc.Ticks % 10), DateTimeKind.Utc);
    }
}
