using System.Globalization;
using CommerceOS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Billing;

/// <summary>The last invoice number used in a year.</summary>
public sealed class InvoiceSequence
{
    public int Year { get; set; }

    public long Last { get; set; }
}

/// <summary>
/// Gapless invoice numbers per year (CO-2026-000001, ...). Taken inside the caller's transaction: the increment's row lock
/// (PostgreSQL) or the database's single writer (SQLite) makes concurrent payments take different numbers, and a
/// rolled-back payment gives its number back.
/// </summary>
public static class InvoiceNumbers
{
    public static async Task<string> NextAsync(AppDbContext db, DateTime issuedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var year = issuedAt.Year;
        await db.Database.ExecuteSqlAsync($"""INSERT INTO "InvoiceSequences" ("Year", "Last") VALUES ({year}, 0) ON CONFLICT ("Year") DO NOTHING""", cancellationToken);
        await db.InvoiceSequences.Where(s => s.Year == year).ExecuteUpdateAsync(s => s.SetProperty(x => x.Last, x => x.Last + 1), cancellationToken);
        var last = await db.InvoiceSequences.AsNoTracking().Where(s => s.Year == year).Select(s => s.Last).SingleAsync(cancellationToken);
        return string.Create(CultureInfo.InvariantCulture, $"CO-{year}-{last:D6}");
    }
}
