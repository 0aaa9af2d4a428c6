using System.ComponentModel.DataAnnotations;

namespace CommerceOS.Core.Data;

public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    /// <summary><c>sqlite</c> (embedded default) or <c>postgres</c>.</summary>
    [Required]
    [RegularExpression("^(sqlite|postgres)$", ErrorMessage = "Database:Provider must be 'sqlite' or 'postgres'.")]
    public string Provider { get; set; } = Sqlite;

    /// <summary>ADO.NET connection string; for SQLite the default is a file under the data folder.</summary>
    public string? ConnectionString { get; set; }
}
