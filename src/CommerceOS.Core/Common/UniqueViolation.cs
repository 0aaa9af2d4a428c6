using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CommerceOS.Core.Common;

/// <summary>
/// Recognises a unique-index violation on both providers, so a use case that checked first can still
/// turn the lost race into its clean conflict code instead of a 500.
/// </summary>
public static class UniqueViolation
{
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintPrimaryKey = 1555;

    /// <summary>True when <paramref name="exception"/> is a unique or primary-key violation.</summary>
    /// <param name="indexHint">Optional text that must appear in the constraint name (PostgreSQL) or
    /// the error message (SQLite: "UNIQUE constraint failed: Table.Column, ..."), e.g. a table name.</param>
    public static bool Is(DbUpdateException exception, string? indexHint = null) => exception.InnerException switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == SqliteConstraint
            && sqlite.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey
            && (indexHint is null || sqlite.Message.Contains(indexHint, StringComparison.Ordinal)),
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation
            && (indexHint is null || (postgres.ConstraintName ?? "").Contains(indexHint, StringComparison.Ordinal)),
        _ => false,
    };
}
