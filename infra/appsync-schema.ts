/**
 * The schema in AppSync's dialect. AppSync's SDL parser refuses or drops GraphQL's string
 * descriptions (aws-appsync-community#38) and takes `#` comment lines written just before a
 * definition as its description instead. It supports no descriptions on enum values, and a comment
 * before an enum value that contains `null`, `true` or `false` fails schema creation (#410). The
 * source schema keeps its descriptions for every other tool; the stack deploys this translation.
 */
import { readFileSync } from 'node:fs';
import { SchemaFile } from 'aws-cdk-lib/aws-appsync';
import {
  type ASTNode,
  type DefinitionNode,
  type DirectiveNode,
  type EnumTypeDefinitionNode,
  type FieldDefinitionNode,
  type InputValueDefinitionNode,
  Kind,
  parse,
  print,
  type StringValueNode,
  visit,
} from 'graphql';

const INDENT = '  ';

/** A description as comment lines, each `#` followed by the description's line. */
function comment(description: StringValueNode | undefined, indent: string, extra: readonly string[] = []): string {
  if (description === undefined && extra.length === 0) return '';
  const lines = [...(description === undefined ? [] : description.value.split('\n')), ...extra];
  return lines.map((line) => `${indent}#${line === '' ? '' : ` ${line}`}\n`).join('');
}

const directives = (nodes: readonly DirectiveNode[] | undefined) => (nodes ?? []).map((node) => ` ${print(node)}`).join('');

function inputValue(node: InputValueDefinitionNode, indent: string): string {
  const defaultValue = node.defaultValue === undefined ? '' : ` = ${print(node.defaultValue)}`;
  return `${comment(node.description, indent)}${indent}${node.name.value}: ${print(node.type)}${defaultValue}${directives(node.directives)}\n`;
}

function field(node: FieldDefinitionNode): string {
  const args = node.arguments ?? [];
  const argList = args.length === 0 ? '' : `(\n${args.map((arg) => inputValue(arg, INDENT.repeat(2))).join('')}${INDENT})`;
  return `${comment(node.description, INDENT)}${INDENT}${node.name.value}${argList}: ${print(node.type)}${directives(node.directives)}\n`;
}

/** Descriptions of enum values cannot stay on the values, so they join the enum type's comment. */
function enumValueNotes(node: EnumTypeDefinitionNode): string[] {
  return (node.values ?? []).flatMap((value) =>
    value.description === undefined
      ? []
      : value.description.value.split('\n').map((line, i) => (i === 0 ? `${value.name.value}: ${line}` : line)),
  );
}

function definition(node: DefinitionNode): string {
  switch (node.kind) {
    case Kind.OBJECT_TYPE_DEFINITION:
    case Kind.INTERFACE_TYPE_DEFINITION: {
      const keyword = node.kind === Kind.OBJECT_TYPE_DEFINITION ? 'type' : 'interface';
      const interfaces = node.interfaces?.length ? ` implements ${node.interfaces.map((named) => named.name.value).join(' & ')}` : '';
      const body = node.fields?.length ? ` {\n${node.fields.map(field).join('')}}` : '';
      return `${comment(node.description, '')}${keyword} ${node.name.value}${interfaces}${directives(node.directives)}${body}\n`;
    }
    case Kind.INPUT_OBJECT_TYPE_DEFINITION: {
      const body = node.fields?.length ? ` {\n${node.fields.map((value) => inputValue(value, INDENT)).join('')}}` : '';
      return `${comment(node.description, '')}input ${node.name.value}${directives(node.directives)}${body}\n`;
    }
    case Kind.ENUM_TYPE_DEFINITION: {
      const values = (node.values ?? []).map((value) => `${INDENT}${value.name.value}${directives(value.directives)}\n`).join('');
      const body = values === '' ? '' : ` {\n${values}}`;
      return `${comment(node.description, '', enumValueNotes(node))}enum ${node.name.value}${directives(node.directives)}${body}\n`;
    }
    default: {
      const description = 'description' in node ? node.description : undefined;
      return `${comment(description, '')}${print(withoutDescriptions(node))}\n`;
    }
  }
}

/** The same document without any description (what graphql-js compares the translation with). */
export function withoutDescriptions<T extends ASTNode>(node: T): T {
  return visit(node, {
    enter(current) {
      return 'description' in current && current.description !== undefined ? { ...current, description: undefined } : undefined;
    },
  }) as T;
}

/** Translates an SDL document into AppSync's dialect: descriptions become `#` comments before their definitions. */
export function toAppSyncSchema(sdl: string): string {
  return parse(sdl, { noLocation: true }).definitions.map(definition).join('\n');
}

/** The schema file as AppSync receives it, for `Definition.fromSchema`. */
export function appSyncSchemaFile(path: string): SchemaFile {
  const schema = new SchemaFile({ filePath: path });
  schema.definition = toAppSyncSchema(readFileSync(path, 'utf8'));
  return schema;
}
