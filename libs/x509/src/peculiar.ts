// @peculiar/x509 resolves its algorithm providers through tsyringe, which needs the Reflect
// metadata polyfill loaded first. Every module of this library imports @peculiar/x509 from here.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

export { x509 };
