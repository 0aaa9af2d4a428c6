using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommerceOS.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class TranslationMemory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "TranslationMemory",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    WorkspaceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SourceLanguage = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    TargetLanguage = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    SourceKeyHash = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 64, nullable: false),
                    SourceTextHash = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 64, nullable: false),
                    SourceKey = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: false),
                    SourceKeyLength = table.Column<int>(type: "INTEGER", nullable: false),
                    SourceText = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: false),
                    TargetText = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: false),
                    MaskedTarget = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: true),
                    ProtectedValues = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TranslationMemory", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TranslationMemory_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_TranslationMemory_WorkspaceId",
                table: "TranslationMemory",
                column: "WorkspaceId");

            migrationBuilder.CreateIndex(
                name: "IX_TranslationMemory_WorkspaceId_SourceLanguage_TargetLanguage_SourceKeyHash",
                table: "TranslationMemory",
                columns: new[] { "WorkspaceId", "SourceLanguage", "TargetLanguage", "SourceKeyHash" });

            migrationBuilder.CreateIndex(
                name: "IX_TranslationMemory_WorkspaceId_SourceLanguage_TargetLanguage_SourceKeyLength",
                table: "TranslationMemory",
                columns: new[] { "WorkspaceId", "SourceLanguage", "TargetLanguage", "SourceKeyLength" });

            migrationBuilder.CreateIndex(
                name: "IX_TranslationMemory_WorkspaceId_SourceLanguage_TargetLanguage_SourceTextHash",
                table: "TranslationMemory",
                columns: new[] { "WorkspaceId", "SourceLanguage", "TargetLanguage", "SourceTextHash" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "TranslationMemory");
        }
    }
}
